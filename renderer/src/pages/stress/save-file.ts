/**
 * Hands a file to the browser's (or Electron's) download: a Blob behind an object URL and an anchor with
 * `download`. Nothing leaves the machine; the URL is revoked once the click has been handled.
 */
export function saveFile(filename: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
