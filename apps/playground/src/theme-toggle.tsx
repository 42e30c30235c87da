// The light/dark toggle of the header (the choice is kept in localStorage).
import { useTheme } from './preferences.js'

/** A button that switches between light and dark; it names the theme it switches to. */
export function ThemeToggle() {
  const [theme, setTheme] = useTheme()
  return (
    <button
      type="button"
      className="bb-button"
      onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
    >
      {theme === 'dark' ? 'Light theme' : 'Dark theme'}
    </button>
  )
}
