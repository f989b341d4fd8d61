#!/usr/bin/env node
// Entry point for the `synack` command: runs the compiled CLI (npm install builds it via `prepare`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
