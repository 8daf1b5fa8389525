#!/usr/bin/env node
// The `junction` command: the built CLI (npm links this file into node_modules/.bin at install, before any build).
require('../dist/main.js');
