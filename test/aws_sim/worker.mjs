// Worker-thread bootstrap: module hooks given to the parent with --import do not reach worker threads, so this
// plain-JS entry registers tsx itself and then loads the TypeScript simulator (worker_main.ts).
import {register} from 'tsx/esm/api';

register();
await import('./worker_main.ts');
