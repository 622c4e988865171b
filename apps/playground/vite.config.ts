import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    // Two modes, two pages: the panel (SDK, CPC) and Webex CC (headless).
    rollupOptions: { input: { main: 'index.html', webex: 'webex.html' } },
  },
});
