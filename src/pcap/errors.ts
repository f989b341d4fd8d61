// Errors the capture-file layer throws. A CaptureError means the input cannot be read as a capture at all
// (empty, wrong magic number, broken header); damage later in a file gives a partial result with a warning.

/** Unreadable capture input. The message is one line saying what is wrong and where. */
export class CaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
