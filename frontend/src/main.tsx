import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { Session } from './session';
import './styles.css';

const session = new Session({
  baseUrl: '',
  storage: window.localStorage,
  // The lock's callback result is the request's result; its typing wraps a promise in another.
  lock: <T,>(work: () => Promise<T>): Promise<T> =>
    navigator.locks ? (navigator.locks.request('argus-token-refresh', work) as Promise<T>) : work(),
});
// A sign-in, refresh or sign-out in another tab.
window.addEventListener('storage', (event) => {
  if (event.key === null || event.key === 'argus.session') session.changed();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App session={session} />
  </StrictMode>,
);
