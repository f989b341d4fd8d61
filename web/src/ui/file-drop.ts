// Opening a file: the picker, or a drop anywhere on the page. The bytes are read with File.arrayBuffer()
// (a fetch of a blob: URL would need connect-src blob:, which the CSP does not give).

export function fileDrop(picker: HTMLInputElement, zone: HTMLElement, onFile: (name: string, bytes: Uint8Array) => void, onError: (err: unknown) => void): void {
  const open = async (file: File | undefined) => {
    if (!file) return;
    try {
      onFile(file.name, new Uint8Array(await file.arrayBuffer()));
    } catch (err) {
      onError(err);
    }
  };
  picker.addEventListener('change', () => {
    void open(picker.files?.[0]);
    picker.value = '';
  });
  let depth = 0;
  const hasFiles = (ev: DragEvent) => [...(ev.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (ev) => {
    if (!hasFiles(ev)) return;
    depth++;
    zone.hidden = false;
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.hidden = true;
  });
  document.addEventListener('dragover', (ev) => {
    if (hasFiles(ev)) ev.preventDefault();
  });
  document.addEventListener('drop', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    depth = 0;
    zone.hidden = true;
    void open(ev.dataTransfer?.files[0]);
  });
}
