/**
 * Finds a QR code in a camera frame. The browser's own BarcodeDetector where it
 * reads QR codes (Android, ChromeOS, macOS Chrome); elsewhere jsQR, loaded only
 * when the camera starts, so the check-in page stays light until it is needed.
 */
export interface QrDetector {
  /** The code in view now, if one is readable. */
  detect(video: HTMLVideoElement): Promise<string | undefined>;
}

interface BarcodeDetectorClass {
  new (options: { formats: string[] }): { detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>> };
  getSupportedFormats(): Promise<string[]>;
}

/** Whether this browser can open a camera at all (a secure context with getUserMedia). */
export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

async function nativeDetector(): Promise<QrDetector | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector || !(await Detector.getSupportedFormats().catch((): string[] => [])).includes('qr_code')) return undefined;
  const detector = new Detector({ formats: ['qr_code'] });
  return {
    async detect(video) {
      const found = await detector.detect(video).catch(() => []);
      return found[0]?.rawValue?.trim() || undefined;
    },
  };
}

// jsQR reads a frame of at most this many pixels across: enough for a ticket held up to a phone.
const maxFrameWidth = 640;

async function jsQrDetector(): Promise<QrDetector> {
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  return {
    async detect(video) {
      if (video.videoWidth === 0 || video.videoHeight === 0) return undefined;
      const scale = Math.min(1, maxFrameWidth / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      return jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })?.data.trim() || undefined;
    },
  };
}

export async function createQrDetector(): Promise<QrDetector> {
  return (await nativeDetector()) ?? jsQrDetector();
}
