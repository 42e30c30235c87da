import type { Decorator, Preview } from '@storybook/react-vite'
import '@basebox/react/styles.css'
import { StoryProvider, type LoadedDatabase, type StoryGlobals } from '../src/story-support.js'

/** Wraps every story that loaded a database in the provider, on the toolbar's theme. */
const withBasebox: Decorator = (Story, context) => {
  const loaded = context.loaded as Partial<LoadedDatabase>
  const client = loaded.basebox?.client
  if (!client) return <Story />
  return (
    <StoryProvider key={context.id} client={client} theme={(context.globals as StoryGlobals).theme}>
      <Story />
    </StoryProvider>
  )
}

const preview: Preview = {
  decorators: [withBasebox],
  initialGlobals: { theme: 'light', density: 'normal' } satisfies StoryGlobals,
  globalTypes: {
    theme: {
      description: 'Colour theme of the components',
      toolbar: { title: 'Theme', icon: 'mirror', items: ['light', 'dark'], dynamicTitle: true },
    },
    density: {
      description: 'Row height and padding of the grid',
      toolbar: {
        title: 'Density',
        icon: 'grow',
        items: ['compact', 'normal', 'comfortable'],
        dynamicTitle: true,
      },
    },
  },
  parameters: { layout: 'fullscreen' },
}

export default preview
