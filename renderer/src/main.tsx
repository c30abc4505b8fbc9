import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { SessionProblemPage } from './app/SessionProblemPage';
import { createBridge } from './bridge/bridge';
import { BridgeProvider } from './hooks/bridge-context';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const start = await createBridge();
createRoot(root).render(
  <StrictMode>
    {start.ok ? (
      <BridgeProvider bridge={start.bridge}>
        <App />
      </BridgeProvider>
    ) : (
      <SessionProblemPage problem={start.problem} />
    )}
  </StrictMode>,
);
