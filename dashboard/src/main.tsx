import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { auth } from './lib/auth';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

// A reload keeps the sign-in: the refresh cookie, if any, is checked before anything else is shown.
void auth.restore();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
