import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { OverviewPage } from './features/overview/OverviewPage';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <OverviewPage />
  </StrictMode>,
);
