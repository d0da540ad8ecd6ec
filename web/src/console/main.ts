// The operator console: log in with an operator key, then the sections.
import '../lib/style.css';
import './console.css';
import './messages';
import { h, mount } from '../lib/dom';
import { lang, onLangChange, t } from '../lib/i18n';
import { dispatch, otherwise, route, start } from '../lib/router';
import { actionsPage } from './actions';
import { campaignOrdersPage } from './campaign-orders';
import { dashboard } from './dashboard';
import { channelPage, channelsPage } from './channels';
import { campaignPage, campaignsPage } from './campaigns';
import { groupPage, groupsPage } from './groups';
import { forgetKeyName, renderShell, shellShown } from './layout';
import { renderLogin } from './login';
import { memberSearch } from './member-list';
import { matchingPage } from './matching';
import { merchantPage, merchantsPage } from './merchants';
import { memberPage } from './members';
import { itemPage, ordersPage } from './orders';
import { plansPage } from './plans';
import { productPage, productsPage, productsTop } from './products';
import { api, forgetSession, loggedIn } from './session';
import { statementPage, statementsPage } from './statements';
import { withdrawalsPage } from './withdrawals';

const app = document.getElementById('app') as HTMLElement;

function showLogin(notice?: string): void {
  forgetKeyName();
  renderLogin(app, () => showConsole(), notice);
}

function showConsole(): void {
  renderShell(app, () => showLogin());
  dispatch();
}

// A view runs only inside the shell; logged out, every route is the login.
function guarded<A extends unknown[]>(view: (...a: A) => void): (...a: A) => void {
  return (...a: A) => {
    if (!loggedIn()) return showLogin();
    if (!shellShown()) return showConsole();
    view(...a);
  };
}

// The session expired, or its key was revoked or given another role.
api.onUnauthorized = () => {
  forgetSession();
  showLogin(t('login.expired'));
};

route('/', guarded(dashboard));
route('/members', guarded(memberSearch));
route('/members/:id', guarded(memberPage));
route('/orders', guarded(ordersPage));
route('/orders/:union/:item', guarded(itemPage));
route('/plans', guarded(plansPage));
route('/withdrawals', guarded(withdrawalsPage));
route('/groups', guarded(groupsPage));
route('/groups/:id', guarded(groupPage));
route('/actions', guarded(actionsPage));
route('/statements', guarded(statementsPage));
route('/statements/:id', guarded(statementPage));
route('/channels', guarded(channelsPage));
route('/channels/:id', guarded(channelPage));
route('/matching', guarded(matchingPage));
route('/campaign-orders', guarded(campaignOrdersPage));
route('/merchants', guarded(merchantsPage));
route('/merchants/:id', guarded(merchantPage));
route('/campaigns', guarded(campaignsPage));
route('/campaigns/:id', guarded(campaignPage));
route('/products', guarded(productsPage));
route('/products/top', guarded(productsTop));
route('/products/:union/:id', guarded(productPage));
otherwise(
  guarded(() => {
    const main = document.getElementById('main');
    if (main) mount(main, h('div', { class: 'state empty' }, t('nav.notFound'), ' ', h('a', { href: '#/' }, t('nav.dashboard'))));
  }),
);

// Another language: draw everything again in it.
onLangChange(() => {
  if (loggedIn()) showConsole();
  else showLogin();
});

document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
start();
