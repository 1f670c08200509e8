/** Fetches a CSV answer with the signed-in user's token and hands it to the browser as a file download. */
export async function downloadCsv(fetchWithToken: typeof fetch, url: string, filename: string): Promise<void> {
  const res = await fetchWithToken(url, { headers: { accept: 'text/csv' } });
  if (!res.ok) throw new Error(`The export failed (HTTP ${res.status}).`);
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
