// The light components every page may use. Those built on bits-ui (confirm-dialog,
// progress) are imported from their own files, so pages that do not use them never
// load bits-ui.
export { default as Alert } from './alert.svelte';
export { default as Badge } from './badge.svelte';
export { default as Button } from './button.svelte';
export { buttonVariants } from './button-variants.ts';
export { default as Card } from './card.svelte';
export { default as Field } from './field.svelte';
export { default as Input } from './input.svelte';
export { default as Label } from './label.svelte';
export { default as NativeSelect } from './native-select.svelte';
export { default as Textarea } from './textarea.svelte';
