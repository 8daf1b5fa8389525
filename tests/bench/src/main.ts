import { relative } from 'node:path';
import { ZodError } from 'zod';
import { runBench } from './bench';
import { parseBenchArgs, USAGE, type BenchOptions } from './options';
import { renderResults } from './table';

// `npm run bench -- [flags]`: runs the measurements, prints the tables and writes the results file.

function optionsOrUsage(argv: string[]): BenchOptions {
  try {
    return parseBenchArgs(argv);
  } catch (error) {
    const reason = error instanceof ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : (error as Error).message;
    console.error(`${reason}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const options = optionsOrUsage(process.argv.slice(2));
  const results = await runBench(options);
  console.log(`\n${renderResults(results)}`);
  console.log(`Results: ${relative(process.env.INIT_CWD ?? process.cwd(), options.out)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
