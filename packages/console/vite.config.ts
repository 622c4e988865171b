import { defineConfig } from 'vite';

export default defineConfig({
  // Assets are addressed relative to the <base href="{base}console/"> the server injects.
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
});
