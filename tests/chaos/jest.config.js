// One file: the chaos run starts a whole Junction (eight service processes, six sandboxes, its own NATS and Postgres).
module.exports = require('../../jest.preset.js')(__dirname);
