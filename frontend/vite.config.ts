import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

// SvelteKit 3 takes its configuration here, in the Vite plugin (no svelte.config.js).
export default defineConfig({
  plugins: [
    tailwindcss(),
    sveltekit({
      adapter: adapter(),
      // Form actions check the Origin header (SvelteKit's default); the API proxy in
      // hooks.server.ts is covered by the gateway's and Better-Auth's own checks.
      csp: {
        // SvelteKit's own inline scripts get a nonce per response; nothing else inline runs.
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          // Style attributes (cover aspect ratios, chart bars) are rendered on the server.
          'style-src': ['self', 'unsafe-inline'],
          // Covers come from /media (this origin); upload previews are blob: URLs; placeholders are data: URIs.
          'img-src': ['self', 'data:', 'blob:'],
          'media-src': ['self', 'blob:'],
          'connect-src': ['self'],
          'font-src': ['self'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'frame-ancestors': ['none'],
          // Checkout sends the buyer on to the payment provider's page, and social sign-in to the provider.
          'form-action': ['self', 'https:'],
        },
      },
    }),
  ],
});
