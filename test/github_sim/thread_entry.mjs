// Worker-thread entry of the threaded simulator (thread.ts): workers do not inherit `node --import tsx`, so the
// TypeScript loader is registered here before the worker's own module is loaded. (A worker has its own env copy.)
import {register} from 'tsx/esm/api';

// graphql-js skips its development-mode checks in production: the simulator answers 100-repository batches faster.
process.env.NODE_ENV = 'production';
register();
await import('./thread_worker.ts');
