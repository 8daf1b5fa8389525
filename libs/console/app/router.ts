import { useEffect, useState } from 'preact/hooks';

/** Screens are addressed by the URL's hash (#/integrations/<id>/sync), so the server serves one page. */
function currentPath(): string {
  return location.hash.replace(/^#/, '') || '/integrations';
}

export function route(path: string): void {
  location.hash = path;
}

export function useRoute(): { path: string } {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const changed = () => setPath(currentPath());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return { path };
}
