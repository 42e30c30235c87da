#!/usr/bin/env node
/**
 * The `basebox-typegen` command: see {@link main} and `basebox-typegen --help`.
 *
 * @module
 */
import { main } from './typegen.js'

process.exitCode = await main(process.argv.slice(2))
