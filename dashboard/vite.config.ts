import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: {
    // The API and the live stream are served on the same origin in production; in
    // dev, forward them to the server on its default port.
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000' },
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      treeshake: {
        // @ioc/shared is pure (types, catalogue, helpers), but its event schemas
        // build zod objects at module load, which the bundler must otherwise keep:
        // without this rule zod (~60 kB) ends up in the bundle unused.
        moduleSideEffects: [{ test: /[\\/]shared[\\/]dist[\\/]/, sideEffects: false }],
      },
      output: {
        codeSplitting: {
          // maplibre (~1 MB) in a chunk of its own, loaded only with a map and cached across releases of the map code.
          groups: [
            { name: 'maplibre', test: /[\\/]node_modules[\\/]maplibre-gl[\\/]/ },
            // echarts and its renderer (zrender): shared by every page with a chart, cached across releases.
            { name: 'echarts', test: /[\\/]node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
});
