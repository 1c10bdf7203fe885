// Starts the Firebase Storage emulator (GCS JSON API) for the tests: node gcs-emulator.cjs <port>.
// `firebase emulators:start` needs Java and downloads a rules runtime; the JSON API routes use a rules-free admin
// layer, so the rules runtime is stubbed instead. Blobs go under $TMPDIR/firebase/storage.
'use strict';
const path = require('path');
const modules = path.join(__dirname, 'node_modules');
const { StorageEmulator } = require(require.resolve('firebase-tools/lib/emulator/storage', { paths: [modules] }));
const { EmulatorRegistry } = require(require.resolve('firebase-tools/lib/emulator/registry', { paths: [modules] }));

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node gcs-emulator.cjs <port>');
  process.exit(2);
}
const emulator = new StorageEmulator({ projectId: 'demo-test', host: '127.0.0.1', port, rules: [], auto_download: false });
emulator._rulesRuntime.start = async () => {};
emulator._rulesRuntime.stop = async () => {};
EmulatorRegistry.start(emulator).then(
  () => console.log(`gcs emulator ready on 127.0.0.1:${port}`),
  (error) => { console.error(`gcs emulator failed to start: ${error && error.stack || error}`); process.exit(1); });
