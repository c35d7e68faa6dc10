// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '#lib/server/session.ts';

declare global {
  namespace App {
    interface Locals {
      /** The signed-in person, from their identity token (null when signed out). */
      user: SessionUser | null;
    }
    interface Error {
      message: string;
      /** What the person can do about it, when there is something. */
      hint?: string;
    }
  }
}

export {};
