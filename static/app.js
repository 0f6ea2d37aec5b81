// Small enhancements only: every page works without this script.
'use strict';
