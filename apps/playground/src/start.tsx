// The app's code, loaded by main.tsx: the kit's styles, the page's own, and the boot screen.
import '@basebox/react/styles.css'
import './app.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Boot } from './boot.js'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Boot />
  </StrictMode>,
)
