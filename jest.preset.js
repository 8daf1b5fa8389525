// Shared Jest setup: SWC keeps decorator metadata (NestJS DI); workspace packages resolve to their sources.
const fs = require('node:fs');
const path = require('node:path');

function sourceAliases() {
  const aliases = {};
  for (const group of ['libs', 'sandboxes']) {
    const dir = path.join(__dirname, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const manifest = path.join(dir, name, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')).name;
      aliases[`^${pkg.replace('/', '\\/')}$`] = path.join(dir, name, 'src/index.ts');
    }
  }
  return aliases;
}

module.exports = (projectDir) => ({
  rootDir: projectDir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    }],
  },
  moduleNameMapper: sourceAliases(),
  setupFiles: [path.join(__dirname, 'tools/jest-setup.js')],
  testTimeout: 30000,
  maxWorkers: 1,
  // Named by path: sandboxes/repairshopr and services/repairshopr must not overwrite each other's totals.
  reporters: [
    'default',
    [path.join(__dirname, 'tools/jest-totals-reporter.js'), { project: path.relative(__dirname, projectDir).replace(/[\\/]/g, '__') }],
  ],
});
