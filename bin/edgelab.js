#!/usr/bin/env node
// Entry point: the compiled CLI (npm run build writes dist/).
import('../dist/src/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli.js')) {
    console.error('edgelab: not built yet; run `npm run build` (npm start does it for you)');
    process.exit(2);
  }
  throw err;
});
