import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing.ts',
    bin: 'src/bin.ts',
  },
  format: ['esm', 'cjs'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
  // Heavy transports (grpc-js, kafkajs) are imported lazily; splitting keeps them in their own
  // ESM chunks, so importing the in-memory client never loads them.
  splitting: true,
  // import.meta.url in the CJS build, used to find the shipped proto/ folder.
  shims: true,
});
