import { Badge, createTheme, Drawer, Modal, NavLink } from '@mantine/core';

const SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const theme = createTheme({
  primaryColor: 'indigo',
  // WCAG AA in both themes (axe checks it in test/e2e/ui-a11y.test.ts): filled colours use
  // shade 8, and text on them is white or black, whichever contrasts more. 0.18 is the
  // luminance where both give the same ratio, so either choice holds at least 4.58:1.
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  luminanceThreshold: 0.18,
  defaultRadius: 'sm',
  // System fonts only: the CSP allows nothing remote, and nothing needs to be bundled.
  fontFamily: SYSTEM_FONTS,
  headings: { fontFamily: SYSTEM_FONTS },
  components: {
    // Status names are shown as stored, as Microsoft spells them (FnOCreateError, not FNOCREATEERROR).
    Badge: Badge.extend({
      styles: { root: { textTransform: 'none', flexShrink: 0, minWidth: 'max-content' } },
    }),
    // The light active style (indigo on pale indigo) is 4.1:1.
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled' } }),
    // Mantine's close buttons are icons without a name: a screen reader said only "button".
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});
