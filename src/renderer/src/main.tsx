import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import 'mantine-datatable/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { theme } from './app/theme';
import { captureToken } from './rpc/token';

// Before anything reads the address: the token leaves it for sessionStorage.
captureToken();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      {/* Inside the navigation column (230 px): a toast never covers the page's own controls. */}
      <Notifications position="bottom-left" containerWidth={214} limit={3} />
      <App />
    </MantineProvider>
  </StrictMode>,
);
