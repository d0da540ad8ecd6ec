// Hash routes: "#/members/m1" -> the view registered for "/members/:id".
export type Params = Record<string, string>;
export type View = (params: Params, query: URLSearchParams) => void | Promise<void>;

const routes: Array<{ re: RegExp; names: string[]; view: View }> = [];
let fallback: View = () => {};

export function route(pattern: string, view: View): void {
  const names: string[] = [];
  const re = new RegExp(
    '^' + pattern.replace(/\//g, '\\/').replace(/:([a-z_]+)/g, (_m, n: string) => (names.push(n), '([^/]+)')) + '$',
  );
  routes.push({ re, names, view });
}

export function otherwise(view: View): void {
  fallback = view;
}

export function current(): { path: string; query: URLSearchParams } {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?', 2);
  return { path: path || '/', query: new URLSearchParams(qs ?? '') };
}

export function go(path: string): void {
  if (location.hash === `#${path}`) dispatch();
  else location.hash = path;
}

export function dispatch(): void {
  const { path, query } = current();
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params: Params = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      void r.view(params, query);
      return;
    }
  }
  void fallback({}, query);
}

export function start(): void {
  window.addEventListener('hashchange', dispatch);
  dispatch();
}
