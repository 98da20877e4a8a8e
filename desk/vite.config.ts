import { defineConfig } from 'vite';

// The handler's desk, built into dist/desk by `npm run build` and served by the API at /desk.
// Everything it needs is bundled: nothing is fetched at run time from anywhere but the API.
export default defineConfig({
  root: import.meta.dirname,
  base: '/desk/',
  logLevel: 'warn',
  build: {
    outDir: '../dist/desk',
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or styles: the page's policy is `default-src 'self'`.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Query marks its modules "use client" for server rendering, which the desk does not do.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
