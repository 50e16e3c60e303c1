// Worker-thread bootstrap for src/review/trainInWorker.ts: module hooks are per thread, so the
// worker registers tsx itself (a dependency of the project) and then runs the TypeScript entry.
import { tsImport } from 'tsx/esm/api';

await tsImport('./trainWorker.ts', import.meta.url);
