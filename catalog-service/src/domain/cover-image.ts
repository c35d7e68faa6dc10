/** An event's cover image as the site shows it: media-service's processed variants. */
export interface CoverImage {
  imageId: string;
  alt: string;
  width: number;
  height: number;
  variants: Array<{ width: number; height: number; format: string; url: string }>;
  /** A tiny blurred preview (data URI) to show while a variant loads; absent on covers attached before media sent it. */
  placeholder?: string;
  /** `#rrggbb`, a background while the image loads. */
  dominantColor?: string;
}
