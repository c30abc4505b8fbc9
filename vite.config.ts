import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer. Relative base so the same build loads from the host (http) and Electron (app://). */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
});
