import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createBridge } from './bridge/bridge';
import { BridgeProvider } from './hooks/bridge-context';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <BridgeProvider bridge={createBridge()}>
      <App />
    </BridgeProvider>
  </StrictMode>,
);
