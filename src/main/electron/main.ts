// The Electron shell is built in its own step (issue 2, item 7).
export {};
