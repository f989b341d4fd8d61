// Light and dark: the operating system's preference until the user picks one with the toggle. The page's
// colours follow <html data-theme>; the charts get the resolved theme.

export type Resolved = 'light' | 'dark';

export function themeToggle(button: HTMLButtonElement, onChange: (theme: Resolved) => void): () => Resolved {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  let chosen: Resolved | undefined;
  const resolved = (): Resolved => chosen ?? (media.matches ? 'dark' : 'light');
  const apply = () => {
    const t = resolved();
    document.documentElement.dataset.theme = t;
    button.textContent = t === 'dark' ? '☀ Light' : '☾ Dark';
    button.setAttribute('aria-label', `Switch to the ${t === 'dark' ? 'light' : 'dark'} theme`);
    onChange(t);
  };
  media.addEventListener('change', () => {
    if (chosen === undefined) apply();
  });
  button.addEventListener('click', () => {
    chosen = resolved() === 'dark' ? 'light' : 'dark';
    apply();
  });
  apply();
  return resolved;
}
