export { budgetTable, budgetsFor, parseRegimeKey, type BudgetTable, type RegimeBudget } from './budgets.js';
export { attributeAsset, splitAmount } from './attribution.js';
