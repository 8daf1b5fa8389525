// One file: the bench at smoke size starts four stacks of service processes one after the other.
module.exports = require('../../jest.preset.js')(__dirname);
