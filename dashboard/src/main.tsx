import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { preloadForAddress } from './app/preload';
import { auth } from './lib/auth';
import './styles.css';
import './layout.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

// A reload keeps the sign-in: the refresh cookie, if any, is checked before anything else is shown.
void auth.restore();
preloadForAddress(window.location.hash);

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
