// End-user auth for the stories of <APIKeys> and <AuthUsers>: one `createAuth` on the story
// engine, and a local client with it. The mailer is the story's own: emails go to the console.
import { createArgon2idHasher, createAuth, type Auth } from '@basebox/auth'
import { createLocalClient } from '@basebox/core'
import { STORYBOOK_OWNER, storyEngine } from './engine.js'
import type { SampleDatabase } from './seed.js'

let auth: Promise<Auth> | undefined

/** `basebox` with a client that has end-user auth (read-only with `readOnly`). */
export async function withAuth(basebox: SampleDatabase, readOnly = false): Promise<SampleDatabase> {
  const { engine } = await storyEngine()
  auth ??= createAuth({
    basebox: engine,
    // A cheap hasher: the stories create users in their loaders, and nobody signs in with them.
    passwordHasher: createArgon2idHasher({ memoryKiB: 64, iterations: 1, parallelism: 1 }),
    sendEmail: async (email) =>
      console.info(
        `[stories] ${email.kind} email to ${email.to} (not sent: the stories have no mailer)`,
      ),
  })
  return {
    ...basebox,
    client: createLocalClient(engine, STORYBOOK_OWNER, { auth: await auth, readOnly }),
  }
}

/** Lets a request in with `key` (as the data API would), and waits until its use is recorded. */
export async function recordKeyUse(databaseId: string, key: string): Promise<void> {
  const { engine } = await storyEngine()
  if (auth === undefined) {
    throw new Error('recordKeyUse needs withAuth first')
  }
  const ready = await auth
  await ready
    .forDatabase(await engine.owner(STORYBOOK_OWNER).databaseById(databaseId))
    .verifyAPIKey(key)
  await ready.settled()
}
