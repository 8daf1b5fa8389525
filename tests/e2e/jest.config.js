// Two files at a time: most end-to-end time is spent waiting on vendor pacing (ZZap allows a call every 3 s), leases
// and schedules, not on the CPU. Each file has its own namespace, schemas and ports, so they never meet.
module.exports = { ...require('../../jest.preset.js')(__dirname), maxWorkers: 2 };
