// Bootstrap for the talkgraph GraphiQL page (index.html). Kept out of the HTML
// so the page runs under a Content-Security-Policy of script-src 'self'.
//
// It fetches the example queries from examples.json (the same list the Go side
// and the tests read), then renders GraphiQL 3.9 full-window against /graphql
// with one tab per example. Everything it loads is same-origin.
(function () {
  'use strict';

  var EXAMPLES_URL = '/graphiql/assets/examples.json';
  var GRAPHQL_URL = '/graphql';

  function loadExamples() {
    return fetch(EXAMPLES_URL, { cache: 'no-cache', credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error(EXAMPLES_URL + ': HTTP ' + res.status);
        return res.json();
      })
      .then(function (list) {
        if (!Array.isArray(list)) throw new Error(EXAMPLES_URL + ': not an array');
        return list.filter(function (ex) {
          return ex && typeof ex.query === 'string' && ex.query.length > 0;
        });
      })
      .catch(function (err) {
        // The page still works without examples: GraphiQL's default tab.
        console.warn('talkgraph: no example tabs:', err);
        return [];
      });
  }

  function render(examples) {
    var props = {
      fetcher: GraphiQL.createFetcher({ url: GRAPHQL_URL }),
      // GraphiQL 3.9 tabs take {query, variables, headers}; there is no title
      // prop (a tab is titled from a named operation, else "<untitled>").
      defaultTabs: examples.length
        ? examples.map(function (ex) { return { query: ex.query }; })
        : undefined,
      defaultEditorToolsVisibility: false,
      shouldPersistHeaders: false,
      plugins: [],
    };
    if (window.GraphiQLPluginExplorer && GraphiQLPluginExplorer.explorerPlugin) {
      props.plugins.push(GraphiQLPluginExplorer.explorerPlugin());
    }
    var root = ReactDOM.createRoot(document.getElementById('graphiql'));
    root.render(React.createElement(GraphiQL, props));
  }

  loadExamples().then(render);
})();
