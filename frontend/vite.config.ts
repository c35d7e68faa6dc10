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
    }),
  ],
});
