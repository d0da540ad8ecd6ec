// The promoter page (/m/): products to share, earnings, team, withdrawals,
// invitations.  Hash routes; every screen but the join page needs a session.
import '../lib/style.css';
import './promoter.css';
import './messages';
import { toast } from '../lib/dom';
import { lang, onLangChange, t } from '../lib/i18n';
import { dispatch, otherwise, route, start, type View } from '../lib/router';
import { earningsView } from './earnings';
import { groupsView } from './groups';
import { joinView } from './join';
import { loginView } from './login';
import { meView } from './me';
import { productView } from './product';
import { myOrdersView } from './my-orders';
import { productsView } from './products';
import { loggedIn, me, onSessionEnd } from './session';
import { memberView, teamView } from './team';
import { takeTaobaoOutcome } from './unions';
import { withdrawView } from './withdraw';

// A screen for members only: the login form instead while logged out.
// /me is asked first (once, then kept): it carries the plan's level names
// by locale, which the views say levels with.
const member =
  (view: View): View =>
  (params, query) =>
    loggedIn()
      ? me().then(
          () => view(params, query),
          () => view(params, query),
        )
      : loginView();

route('/', member(productsView));
route('/products', member(productsView));
route('/product/:union/:id', member(productView));
route('/earnings', member(earningsView));
route('/withdraw', member(withdrawView));
route('/my-orders', member(myOrdersView));
route('/team', member(teamView));
route('/team/:id', member(memberView));
route('/member/:id', member(memberView));
route('/me', member(meView));
route('/groups', member(groupsView));
route('/join/:code', joinView);
otherwise(member(productsView));

onSessionEnd(() => {
  toast(t('error.unauthorized'), 'error');
  dispatch();
});
onLangChange(dispatch);
document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
// back from Taobao's authorization: the outcome is said on the me screen
takeTaobaoOutcome();
start();
