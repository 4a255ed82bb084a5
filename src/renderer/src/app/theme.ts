import { Badge, createTheme, Drawer, Modal } from '@mantine/core';

const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  // System fonts only: the CSP allows nothing remote, and nothing needs to be bundled.
  fontFamily: SYSTEM_FONTS,
  headings: { fontFamily: SYSTEM_FONTS },
  components: {
    // Status names are shown exactly as the seed spells them (FnOCreateError, not FNOCREATEERROR).
    Badge: Badge.extend({
      styles: { root: { textTransform: 'none', flexShrink: 0, minWidth: 'max-content' } },
    }),
    // Mantine's close buttons are icons without a name: a screen reader said only "button".
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});
