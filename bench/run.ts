/**
 * Runs a benchmark's `main` and exits with its code: 0 when every goal was met or measured,
 * 1 when the run found errors, 2 when it could not run (the message says why).
 */
export function runBenchmark(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    },
  );
}
