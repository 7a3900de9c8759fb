// Worker entry when pageout runs from its TypeScript sources: a worker thread does not inherit
// the tsx loader, so register it here first (reference/ecosystem.md §5).
import { register } from 'tsx/esm/api';
register();
await import('./worker.ts');
