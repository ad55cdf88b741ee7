// talkgraph explorer: the /explore page (index.html). Plain JavaScript, no
// framework, no build step; it needs only Cytoscape.js (cytoscape.min.js,
// vendored beside it) and talks to /graphql on the same origin (POST,
// application/json). Kept out of the HTML so the page runs under a
// Content-Security-Policy of script-src 'self'.
//
// What it does:
//   - a search box with autocomplete (the `search` query, debounced, plus the
//     `entity` query for exact names and aliases and its "closest" names for
//     partial words); choosing a hit draws that entity's neighbourhood;
//   - clicking a node expands it (adds its neighbourhood); clicking a
//     relation shows its evidence in the side panel;
//   - "path from A to B" draws `path(from, to)` with its nodes and relations
//     in the class `highlight`; the path goes around hubs (conferences,
//     sources, nodes of many relations): the panel tells of a shorter path
//     through hubs, or of the only one, with a button that draws it (`via`);
//   - checkboxes hide kinds and relation types; the kind list is the colour
//     legend;
//   - a hub shows its first RELATIONS_PAGE relations; the panel says how
//     many it has (relationCount) and "Show more" adds the next page;
//   - the panel of a talk lists its similar talks (`similar`), with what
//     they share;
//   - the view is in the URL (?focus=a,b&from=x&to=y&via=h&hidekinds=…&hidetypes=…),
//     updated with history.replaceState and read at start.
//
// For tests, window.talkgraphExplorer exposes the Cytoscape instance (cy),
// `busy` (true while a graph request or layout runs) and the actions.
(function () {
  'use strict';

  const GRAPHQL_URL = '/graphql';
  const RELATIONS_PAGE = 50;
  const RELATIONS_MAX = 1000; // the API's ceiling of first
  const SIMILAR_FIRST = 5;
  const PATH_MAX_HOPS = 6;
  const SEARCH_FIRST = 8;
  const DEBOUNCE_MS = 180;
  const MAX_FIT_ZOOM = 1.4;

  // Colour and shape of each kind; the legend shows both. The first six
  // colours are the Okabe–Ito palette (distinguishable with the common
  // colour-vision deficiencies), the other three darker tones; shapes tell
  // kinds apart without colour.
  const KINDS = [
    { kind: 'TALK', label: 'Talk', color: '#D55E00', shape: 'round-rectangle' },
    { kind: 'PERSON', label: 'Person', color: '#0072B2', shape: 'ellipse' },
    { kind: 'COMPANY', label: 'Company', color: '#009E73', shape: 'round-hexagon' },
    { kind: 'ORGANIZATION', label: 'Organization', color: '#56B4E9', shape: 'round-pentagon' },
    { kind: 'TOOL', label: 'Tool', color: '#E69F00', shape: 'round-diamond' },
    { kind: 'CONCEPT', label: 'Concept', color: '#CC79A7', shape: 'round-octagon' },
    { kind: 'CONFERENCE', label: 'Conference', color: '#5E3C99', shape: 'star' },
    { kind: 'PUBLICATION', label: 'Publication', color: '#8C6D31', shape: 'barrel' },
    { kind: 'SOURCE', label: 'Source', color: '#6B7280', shape: 'rectangle' },
    { kind: 'BRAND', label: 'Brand', color: '#B45309', shape: 'tag' },
  ];
  const KIND = Object.fromEntries(KINDS.map((k) => [k.kind, k]));
  const OTHER_KIND = { kind: 'OTHER', label: 'Other', color: '#374151', shape: 'ellipse' };
  const kindInfo = (kind) => KIND[kind] || OTHER_KIND;

  const ENTITY_FIELDS = 'id name kind';
  const RELATION_FIELDS = `type from { ${ENTITY_FIELDS} } to { ${ENTITY_FIELDS} } evidence { quote source { id name } }`;
  // Q_FIND is the Find box's question at each keystroke: the names that
  // start with what is typed (or nearly: one typo), then the texts that
  // hold its words.
  const Q_FIND = `query ExploreFind($text: String!, $first: Int) {
  suggest(text: $text, first: $first) { how node { ${ENTITY_FIELDS} } }
  search(text: $text, first: $first) { corrected node { ${ENTITY_FIELDS} } }
}`;
  const Q_ENTITY = `query ExploreEntity($name: String!) { entity(name: $name) { ${ENTITY_FIELDS} } }`;
  const Q_NEIGHBOURS = `query ExploreNeighbours($id: ID!, $first: Int) {
  node(id: $id) {
    ${ENTITY_FIELDS} description
    relationCount
    relations(first: $first) { ${RELATION_FIELDS} }
  }
}`;
  const Q_SIMILAR = `query ExploreSimilar($id: ID!) {
  talk(id: $id) { similar(first: ${SIMILAR_FIRST}) { score talk { ${ENTITY_FIELDS} } shared { name } } }
}`;
  const Q_PATH = `query ExplorePath($from: String!, $to: String!, $via: [String!]) {
  path(from: $from, to: $to, maxHops: ${PATH_MAX_HOPS}, via: $via) {
    hops
    nodes { ${ENTITY_FIELDS} }
    relations { ${RELATION_FIELDS} }
    hubs { ${ENTITY_FIELDS} }
    shorterThroughHubs { hops hubs { ${ENTITY_FIELDS} } }
  }
}`;

  const $ = (id) => document.getElementById(id);

  // el builds an element: el('li', {class: 'x', role: 'option'}, child, …).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function swatch(kind) {
    const info = kindInfo(kind);
    const s = el('span', { class: 'swatch swatch-' + info.kind, 'aria-hidden': 'true' });
    s.style.backgroundColor = info.color; // CSSOM, allowed by the CSP
    return s;
  }

  // ---- GraphQL -----------------------------------------------------------

  class GraphQLError extends Error {
    constructor(errors) {
      super(errors.map((e) => e.message).join('; '));
      this.errors = errors;
    }
  }

  // gql posts a query and returns {data, errors}. It throws when the answer
  // holds no data (a transport, guard or validation failure).
  async function gql(query, variables) {
    let res;
    try {
      res = await fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ query, variables }),
      });
    } catch (err) {
      throw new Error('the server cannot be reached (' + err.message + ')');
    }
    let body;
    try {
      body = await res.json();
    } catch (err) {
      throw new Error('the server answered HTTP ' + res.status + ' with no JSON');
    }
    if (!body || body.data === undefined || body.data === null) {
      if (body && Array.isArray(body.errors) && body.errors.length) throw new GraphQLError(body.errors);
      throw new Error('the server answered HTTP ' + res.status + ' with no data');
    }
    return { data: body.data, errors: Array.isArray(body.errors) ? body.errors : [] };
  }

  // lookup is the autocomplete's query: the entities whose name starts
  // with what is typed (the whole name first, a typo's last), then the
  // search hits. A match through a typo says "did you mean".
  async function lookup(text) {
    const { data } = await gql(Q_FIND, { text, first: SEARCH_FIRST });
    const hits = [];
    const seen = new Set();
    const push = (n, note) => {
      if (n && !seen.has(n.id)) {
        seen.add(n.id);
        hits.push({ id: n.id, name: n.name, kind: n.kind, note });
      }
    };
    for (const s of data.suggest || []) push(s.node, s.how === 'TYPO' ? 'did you mean' : '');
    for (const h of data.search || []) push(h.node, h.corrected ? 'did you mean' : '');
    return hits.slice(0, SEARCH_FIRST + 3);
  }

  // resolve turns what a person typed into one entity: the exact entity,
  // else the best search hit, else the first suggestion.
  async function resolve(text) {
    const hits = await lookup(text);
    if (!hits.length) throw new Error('no entity matches “' + text + '”');
    return hits[0];
  }

  // ---- autocomplete (ARIA 1.2 combobox with a listbox popup) ---------------

  class Combo {
    constructor(input, list, onPick) {
      this.input = input;
      this.list = list;
      this.onPick = onPick;
      this.hits = [];
      this.active = -1;
      this.timer = 0;
      this.seq = 0;
      this.picked = null; // {id, name, kind} chosen from the list
      this.pending = null; // promise of the running lookup
      input.addEventListener('input', () => this.changed());
      input.addEventListener('keydown', (e) => this.key(e));
      input.addEventListener('blur', () => this.close());
      input.addEventListener('focus', () => {
        if (this.hits.length && !this.picked) this.open();
      });
    }

    changed() {
      this.picked = null;
      clearTimeout(this.timer);
      const text = this.input.value.trim();
      if (text.length < 2) {
        this.seq++;
        this.hits = [];
        this.close();
        return;
      }
      this.timer = setTimeout(() => this.run(text), DEBOUNCE_MS);
    }

    run(text) {
      const seq = ++this.seq;
      this.list.setAttribute('aria-busy', 'true');
      this.pending = lookup(text).then(
        (hits) => {
          if (seq !== this.seq) return;
          this.hits = hits;
          this.active = -1;
          this.render(text);
          if (document.activeElement === this.input) this.open();
        },
        (err) => {
          if (seq !== this.seq) return;
          this.hits = [];
          this.render(text, 'Search failed: ' + err.message);
          if (document.activeElement === this.input) this.open();
        },
      ).finally(() => {
        if (seq === this.seq) this.list.removeAttribute('aria-busy');
      });
    }

    render(text, message) {
      this.list.replaceChildren();
      if (!this.hits.length) {
        this.list.append(el('li', { class: 'empty', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false' },
          message || 'No entity matches “' + text + '”'));
        return;
      }
      this.hits.forEach((h, i) => {
        const li = el('li', {
          id: this.list.id + '-' + i,
          role: 'option',
          class: 'hit',
          'aria-selected': i === this.active ? 'true' : 'false',
          'data-id': h.id,
        },
        swatch(h.kind),
        el('span', { class: 'hit-name', text: h.name }),
        el('span', { class: 'hit-kind', text: (h.note ? h.note + ' · ' : '') + kindInfo(h.kind).label.toLowerCase() }));
        // mousedown, not click: keep the focus in the input.
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          this.choose(i);
        });
        li.addEventListener('mousemove', () => {
          if (this.active !== i) this.move(i);
        });
        this.list.append(li);
      });
    }

    open() {
      if (!this.list.children.length) return;
      this.list.hidden = false;
      this.input.setAttribute('aria-expanded', 'true');
    }

    close() {
      this.list.hidden = true;
      this.input.setAttribute('aria-expanded', 'false');
      this.input.removeAttribute('aria-activedescendant');
      this.active = -1;
      for (const li of this.list.querySelectorAll('[aria-selected="true"]')) li.setAttribute('aria-selected', 'false');
    }

    isOpen() {
      return !this.list.hidden;
    }

    move(i) {
      this.active = i;
      const items = this.list.querySelectorAll('li.hit');
      items.forEach((li, j) => li.setAttribute('aria-selected', j === i ? 'true' : 'false'));
      if (i >= 0 && items[i]) {
        this.input.setAttribute('aria-activedescendant', items[i].id);
        items[i].scrollIntoView({ block: 'nearest' });
      } else {
        this.input.removeAttribute('aria-activedescendant');
      }
    }

    key(e) {
      const n = this.hits.length;
      switch (e.key) {
        case 'ArrowDown':
          e.preventDefault();
          if (!this.isOpen()) this.open();
          if (n) this.move((this.active + 1) % n);
          break;
        case 'ArrowUp':
          e.preventDefault();
          if (!this.isOpen()) this.open();
          if (n) this.move(this.active <= 0 ? n - 1 : this.active - 1);
          break;
        case 'Home':
        case 'End':
          if (this.isOpen() && n) {
            e.preventDefault();
            this.move(e.key === 'Home' ? 0 : n - 1);
          }
          break;
        case 'Enter':
          // Enter on an open list chooses the active hit, else the first.
          if (this.isOpen() && n) {
            e.preventDefault();
            this.choose(this.active >= 0 ? this.active : 0);
          }
          break;
        case 'Escape':
          if (this.isOpen()) {
            e.preventDefault();
            this.close();
          }
          break;
        case 'Tab':
          this.close();
          break;
      }
    }

    choose(i) {
      const h = this.hits[i];
      if (!h) return;
      this.set(h);
      this.close();
      this.onPick(h);
    }

    // set shows an entity in the input as chosen, without a lookup.
    set(h) {
      clearTimeout(this.timer);
      this.seq++;
      this.picked = h;
      this.input.value = h.name;
    }

    // entity returns the chosen entity, else resolves the text typed.
    async entity() {
      const text = this.input.value.trim();
      if (this.picked && this.picked.name === this.input.value) return this.picked;
      if (!text) throw new Error('type a name in “' + this.input.labels[0].textContent + '”');
      const h = await resolve(text);
      this.set(h);
      return h;
    }
  }

  // ---- the graph ---------------------------------------------------------

  const state = {
    expanded: [], // ids whose neighbourhood is drawn, in order (the URL's focus)
    path: null, // {from, to, via} ids of the path drawn (via: the hubs it may pass through)
    hiddenKinds: new Set(),
    hiddenTypes: new Set(),
    busy: 0,
    loaded: new Map(), // id -> {shown, total}: the relations fetched of an expanded node, and how many it has
  };

  const cy = cytoscape({
    container: $('cy'),
    minZoom: 0.15,
    maxZoom: 3,
    boxSelectionEnabled: false,
    selectionType: 'single',
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(color)',
          shape: 'data(shape)',
          width: 26,
          height: 26,
          'border-width': 2,
          'border-color': '#ffffff',
          label: 'data(name)',
          'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
          'font-size': 12,
          color: '#111827',
          'text-valign': 'bottom',
          'text-halign': 'center',
          'text-margin-y': 4,
          'text-wrap': 'wrap',
          'text-max-width': 130,
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.85,
          'text-background-padding': 2,
          'text-background-shape': 'round-rectangle',
          'min-zoomed-font-size': 6,
        },
      },
      { selector: 'node.expanded', style: { 'border-color': '#111827', 'border-width': 2 } },
      { selector: 'node.focus', style: { width: 40, height: 40, 'font-size': 13, 'font-weight': 'bold', 'border-width': 3 } },
      {
        selector: 'edge',
        style: {
          width: 1.5,
          'curve-style': 'bezier',
          'line-color': '#9CA3AF',
          'target-arrow-shape': 'triangle',
          'target-arrow-color': '#9CA3AF',
          'arrow-scale': 0.9,
          label: 'data(type)',
          'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
          'font-size': 10,
          color: '#374151',
          'text-rotation': 'autorotate',
          'text-background-color': '#F9FAFB',
          'text-background-opacity': 0.9,
          'text-background-padding': 1,
          'min-zoomed-font-size': 7,
        },
      },
      {
        selector: '.highlight',
        style: { 'underlay-color': '#FACC15', 'underlay-opacity': 0.75, 'underlay-padding': 7, 'z-index': 10 },
      },
      {
        selector: 'edge.highlight',
        style: { width: 4, 'line-color': '#1F2937', 'target-arrow-color': '#1F2937', 'underlay-padding': 4, color: '#111827', 'font-weight': 'bold' },
      },
      { selector: 'node.highlight', style: { 'border-color': '#1F2937', 'border-width': 3, 'font-weight': 'bold' } },
      { selector: '.faded', style: { opacity: 0.4 } },
      {
        selector: 'node:selected',
        style: { 'overlay-color': '#2563EB', 'overlay-opacity': 0.25, 'overlay-padding': 6 },
      },
      {
        selector: 'edge:selected',
        style: { width: 4, 'line-color': '#2563EB', 'target-arrow-color': '#2563EB', 'z-index': 20 },
      },
      { selector: '.filtered', style: { display: 'none' } },
    ],
  });

  // edgeId names a relation; related_to is symmetric, so its id does not
  // depend on the side it was read from.
  function edgeId(rel) {
    let a = rel.from.id;
    let b = rel.to.id;
    if (rel.type === 'related_to' && b < a) [a, b] = [b, a];
    return a + '|' + rel.type + '|' + b;
  }

  // addNode adds an entity unless it is there; new nodes start beside
  // `near`, so the layout moves them out from the node they came from.
  function addNode(n, near) {
    const have = cy.getElementById(n.id);
    if (have.length) {
      if (n.description && !have.data('description')) have.data('description', n.description);
      return have;
    }
    const info = kindInfo(n.kind);
    const pos = near && near.length ? near.position() : { x: 0, y: 0 };
    return cy.add({
      group: 'nodes',
      data: { id: n.id, name: n.name, kind: n.kind, color: info.color, shape: info.shape, description: n.description || '' },
      position: { x: pos.x + (Math.random() - 0.5) * 60, y: pos.y + (Math.random() - 0.5) * 60 },
    });
  }

  function addRelation(rel, near) {
    addNode(rel.from, near);
    addNode(rel.to, near);
    const id = edgeId(rel);
    const have = cy.getElementById(id);
    if (have.length) return have;
    return cy.add({
      group: 'edges',
      data: { id, source: rel.from.id, target: rel.to.id, type: rel.type, evidence: rel.evidence || [] },
    });
  }

  function layout(randomize) {
    return new Promise((resolve) => {
      if (cy.elements().empty()) return resolve();
      const l = cy.layout({
        name: 'cose',
        animate: false,
        randomize,
        fit: true,
        padding: 40,
        nodeDimensionsIncludeLabels: true,
        idealEdgeLength: () => 90,
        nodeRepulsion: () => 9000,
        nodeOverlap: 12,
        gravity: 0.6,
        numIter: 1500,
        componentSpacing: 80,
      });
      l.one('layoutstop', () => {
        // A few nodes fitted to the screen would be drawn huge.
        if (cy.zoom() > MAX_FIT_ZOOM) {
          cy.zoom(MAX_FIT_ZOOM);
          cy.center();
        }
        resolve();
      });
      l.run();
    });
  }

  // busy wraps a graph action: the status says so, and tests can wait.
  async function busy(what, fn) {
    state.busy++;
    document.body.classList.add('is-busy');
    if (what) setStatus(what + '…');
    try {
      return await fn();
    } catch (err) {
      setStatus(err.message, true);
      return undefined;
    } finally {
      state.busy--;
      if (!state.busy) document.body.classList.remove('is-busy');
    }
  }

  // fetchNeighbours returns the node with its relations; an id that is not
  // one is resolved as a name (deep links may carry names).
  async function fetchNeighbours(idOrName, first) {
    const n = first || RELATIONS_PAGE;
    let { data } = await gql(Q_NEIGHBOURS, { id: idOrName, first: n });
    if (!data.node) {
      const hit = await resolve(idOrName);
      ({ data } = await gql(Q_NEIGHBOURS, { id: hit.id, first: n }));
      if (!data.node) throw new Error('no entity “' + idOrName + '”');
    }
    return data.node;
  }

  // expand draws the neighbourhood of one node (adding to the graph).
  function expand(idOrName, opts) {
    const o = opts || {};
    const known = cy.getElementById(idOrName);
    return busy('Loading the relations of ' + (known.length ? known.data('name') : idOrName), async () => {
      const node = await fetchNeighbours(idOrName);
      const first = cy.elements().empty();
      const center = addNode(node);
      cy.batch(() => {
        for (const rel of node.relations) addRelation(rel, center);
      });
      center.addClass('expanded');
      state.loaded.set(node.id, { shown: node.relations.length, total: node.relationCount });
      // A path drawn stays in front: what comes later starts faded too.
      if (state.path && cy.$('.highlight').nonempty()) cy.elements().not('.highlight').addClass('faded');
      if (!state.expanded.includes(node.id)) state.expanded.push(node.id);
      if (o.focus) {
        cy.nodes('.focus').removeClass('focus');
        center.addClass('focus');
      }
      afterChange();
      await layout(first);
      cy.elements().unselect();
      center.select();
      showNode(center);
      setStatus(relationsStatus(node.name, state.loaded.get(node.id)));
      return center;
    });
  }

  function relationsStatus(name, l) {
    let msg = name + ': ' + l.total + (l.total === 1 ? ' relation' : ' relations');
    if (l.shown < l.total) msg += ' (' + l.shown + ' shown; “Show more” in the panel adds more)';
    return msg + '.';
  }

  // more draws the next page of an expanded node's relations. relations
  // has no offset: it asks for the first shown + RELATIONS_PAGE and adds
  // those not drawn yet.
  function more(id) {
    const l = state.loaded.get(id);
    if (!l) return Promise.resolve();
    return busy('Loading more relations of ' + nodeName(id), async () => {
      const node = await fetchNeighbours(id, Math.min(l.shown + RELATIONS_PAGE, RELATIONS_MAX));
      const center = cy.getElementById(node.id);
      cy.batch(() => {
        for (const rel of node.relations) addRelation(rel, center);
      });
      state.loaded.set(node.id, { shown: node.relations.length, total: node.relationCount });
      afterChange();
      await layout(false);
      cy.elements().unselect();
      center.select();
      showNode(center);
      setStatus(relationsStatus(node.name, state.loaded.get(node.id)));
    });
  }

  // focus starts a new view on one entity.
  function focus(idOrName) {
    clearGraph();
    return expand(idOrName, { focus: true });
  }

  function clearPath() {
    state.path = null;
    cy.elements().removeClass('highlight faded');
  }

  function clearGraph() {
    cy.elements().remove();
    state.expanded = [];
    state.loaded.clear();
    clearPath();
    showNothing();
    afterChange();
  }

  // drawPath draws one shortest path that passes through no hub but those
  // of via, and highlights it. Without one, the panel says whether a path
  // through hubs exists and offers to draw it.
  function drawPath(from, to, via) {
    via = via || [];
    return busy('Looking for a path', async () => {
      const { data, errors } = await gql(Q_PATH, { from, to, via });
      const p = data.path;
      clearPath();
      if (!p) {
        state.path = { from, to, via };
        afterChange();
        const hub = errors.find((e) => e.extensions && Array.isArray(e.extensions.via));
        if (hub) {
          setStatus('No path avoids hubs.', true);
          panel('No path around hubs',
            el('p', { class: 'help', text: hub.message }),
            el('button', { type: 'button', onclick: () => drawPath(from, to, via.concat(hub.extensions.via)) },
              'Draw the path through ' + hub.extensions.via.join(', ')));
        } else {
          setStatus(errors.length ? errors[0].message : 'No path between them within ' + PATH_MAX_HOPS + ' hops.', true);
        }
        return null;
      }
      const start = cy.getElementById(p.nodes[0].id);
      let nodes = cy.collection();
      let edges = cy.collection();
      cy.batch(() => {
        let prev = start.length ? start : null;
        for (const n of p.nodes) {
          const added = addNode(n, prev);
          nodes = nodes.union(added);
          prev = added;
        }
        for (const rel of p.relations) edges = edges.union(addRelation(rel));
      });
      state.path = { from: p.nodes[0].id, to: p.nodes[p.nodes.length - 1].id, via };
      const onPath = nodes.union(edges);
      onPath.addClass('highlight');
      cy.elements().not(onPath).addClass('faded');
      afterChange();
      // A path changes the picture: lay the whole graph out afresh (laid
      // out from where they were, the new nodes would stay in a line).
      await layout(true);
      const names = p.nodes.map((n) => n.name);
      setStatus('Path in ' + p.hops + (p.hops === 1 ? ' hop: ' : ' hops: ') + names.join(' → ') + '.');
      showPath(p);
      return p;
    });
  }

  // ---- filters, legend, URL ------------------------------------------------

  function applyFilters() {
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        n.toggleClass('filtered', state.hiddenKinds.has(n.data('kind')));
      });
      cy.edges().forEach((e) => {
        const hide = state.hiddenTypes.has(e.data('type')) ||
          e.source().hasClass('filtered') || e.target().hasClass('filtered');
        e.toggleClass('filtered', hide);
      });
    });
  }

  function buildLegend() {
    const box = $('legend');
    for (const k of KINDS) {
      const id = 'kind-' + k.kind;
      const cb = el('input', { type: 'checkbox', id, value: k.kind, checked: !state.hiddenKinds.has(k.kind) });
      cb.checked = !state.hiddenKinds.has(k.kind);
      cb.addEventListener('change', () => {
        if (cb.checked) state.hiddenKinds.delete(k.kind);
        else state.hiddenKinds.add(k.kind);
        applyFilters();
        updateURL();
      });
      box.append(el('div', { class: 'check', 'data-kind': k.kind },
        cb,
        el('label', { for: id }, swatch(k.kind), el('span', { class: 'check-name', text: k.label }),
          el('span', { class: 'count', id: id + '-count' }))));
    }
  }

  // updateFilters keeps one checkbox per relation type on the graph, with
  // counts, and the kind counts of the legend.
  function updateFilters() {
    const counts = new Map();
    cy.edges().forEach((e) => counts.set(e.data('type'), (counts.get(e.data('type')) || 0) + 1));
    const box = $('type-filters');
    const types = [...counts.keys()].sort();
    $('types-empty').hidden = types.length > 0;
    for (const row of box.querySelectorAll('.check')) {
      if (!counts.has(row.dataset.type)) row.remove();
    }
    let prev = null;
    for (const t of types) {
      const id = 'type-' + t;
      let row = box.querySelector('.check[data-type="' + CSS.escape(t) + '"]');
      if (!row) {
        const cb = el('input', { type: 'checkbox', id, value: t });
        cb.checked = !state.hiddenTypes.has(t);
        cb.addEventListener('change', () => {
          if (cb.checked) state.hiddenTypes.delete(t);
          else state.hiddenTypes.add(t);
          applyFilters();
          updateURL();
        });
        row = el('div', { class: 'check', 'data-type': t },
          cb, el('label', { for: id }, el('span', { class: 'check-name', text: t.replace(/_/g, ' ') }),
            el('span', { class: 'count', id: id + '-count' })));
      }
      // keep alphabetical order
      if (prev) prev.after(row);
      else box.querySelector('legend').after(row);
      prev = row;
      $(id + '-count').textContent = String(counts.get(t));
    }
    const kinds = new Map();
    cy.nodes().forEach((n) => kinds.set(n.data('kind'), (kinds.get(n.data('kind')) || 0) + 1));
    for (const k of KINDS) {
      const c = kinds.get(k.kind) || 0;
      $('kind-' + k.kind + '-count').textContent = c ? String(c) : '';
    }
  }

  // The URL holds the view: ids are slugs (a-z, 0-9, - _ .), so a comma
  // separates them in focus, hidekinds and hidetypes.
  function updateURL() {
    const parts = [];
    const list = (name, values) => {
      if (values.length) parts.push(name + '=' + values.map(encodeURIComponent).join(','));
    };
    list('focus', state.expanded);
    if (state.path) {
      parts.push('from=' + encodeURIComponent(state.path.from));
      parts.push('to=' + encodeURIComponent(state.path.to));
      list('via', state.path.via || []);
    }
    list('hidekinds', [...state.hiddenKinds].sort());
    list('hidetypes', [...state.hiddenTypes].sort());
    const url = location.pathname + (parts.length ? '?' + parts.join('&') : '');
    if (url !== location.pathname + location.search) history.replaceState(null, '', url);
  }

  function afterChange() {
    applyFilters();
    updateFilters();
    updateURL();
    $('hint').hidden = !cy.elements().empty();
  }

  // ---- side panel ----------------------------------------------------------

  function setStatus(text, isError) {
    const s = $('status');
    s.textContent = text || '';
    s.classList.toggle('error', !!isError);
  }

  function panel(title, ...children) {
    $('details-title').textContent = title;
    $('details-body').replaceChildren(...children);
  }

  function showNothing() {
    panel('Details', el('p', { class: 'help', text: 'Nothing chosen yet.' }));
  }

  function kindBadge(kind) {
    return el('span', { class: 'kind' }, swatch(kind), kindInfo(kind).label);
  }

  function nodeName(id) {
    const n = cy.getElementById(id);
    return n.length ? n.data('name') : id;
  }

  // edgeButton shows one relation of a node; it opens its evidence, so the
  // evidence can be reached with the keyboard too.
  function edgeButton(edge, node) {
    const out = edge.source().id() === node.id();
    const other = out ? edge.target() : edge.source();
    return el('li', {},
      el('button', {
        type: 'button',
        class: 'linklike',
        onclick: () => {
          cy.elements().unselect();
          edge.select();
          showEdge(edge);
        },
      },
      out ? '' : '← ',
      el('span', { class: 'rel-type', text: edge.data('type').replace(/_/g, ' ') }),
      out ? ' → ' : ' ',
      other.data('name')));
  }

  function showNode(node) {
    const d = node.data();
    const expanded = node.hasClass('expanded');
    const rels = node.connectedEdges().not('.filtered');
    const children = [
      el('p', { class: 'entity-name', text: d.name }),
      el('p', { class: 'meta' }, kindBadge(d.kind), ' ', el('code', { text: d.id })),
    ];
    if (d.description) children.push(el('p', { class: 'description', text: d.description }));
    const actions = el('div', { class: 'actions' });
    if (!expanded) {
      actions.append(el('button', { type: 'button', onclick: () => expand(d.id) }, 'Expand'));
    }
    actions.append(
      el('button', { type: 'button', class: 'secondary', onclick: () => combos.from.set(d) }, 'Path from here'),
      el('button', { type: 'button', class: 'secondary', onclick: () => combos.to.set(d) }, 'Path to here'));
    children.push(actions);
    const l = state.loaded.get(d.id);
    if (expanded && l && l.shown < l.total) {
      const can = l.shown < RELATIONS_MAX;
      children.push(el('p', { class: 'more' },
        el('span', { id: 'more-count', text: l.shown + ' of ' + l.total + ' relations shown. ' }),
        can ? el('button', { type: 'button', id: 'more-relations', onclick: () => more(d.id) },
          'Show ' + Math.min(RELATIONS_PAGE, l.total - l.shown, RELATIONS_MAX - l.shown) + ' more')
          : el('span', { class: 'help', text: 'The explorer draws at most ' + RELATIONS_MAX + '; ask the GraphQL API for the rest.' })));
    }
    if (d.kind === 'TALK') children.push(similarSection(d.id));
    if (rels.length) {
      children.push(el('h3', { text: 'Relations on the graph (' + rels.length + ')' }));
      const ul = el('ul', { class: 'relations' });
      rels.forEach((e) => ul.append(edgeButton(e, node)));
      children.push(ul);
    }
    panel('Entity', ...children);
  }

  // similarSection is the panel's list of the talks most like talk id,
  // filled in when the answer comes; choosing one expands it.
  function similarSection(id) {
    const ul = el('ul', { class: 'similar', id: 'similar-talks', 'aria-busy': 'true' });
    const box = el('section', { 'aria-labelledby': 'similar-title' }, el('h3', { id: 'similar-title', text: 'Similar talks' }), ul);
    gql(Q_SIMILAR, { id }).then(({ data }) => {
      const found = (data.talk && data.talk.similar) || [];
      if (!found.length) ul.append(el('li', { class: 'help', text: 'No talk shares what this one is about.' }));
      for (const s of found) {
        const why = s.shared.map((n) => n.name).join(', ');
        ul.append(el('li', { 'data-id': s.talk.id },
          el('button', { type: 'button', class: 'linklike', onclick: () => expand(s.talk.id) }, s.talk.name),
          why ? el('span', { class: 'help', text: ' — shares ' + why }) : null));
      }
    }, (err) => {
      ul.append(el('li', { class: 'help', text: 'Similar talks could not be read: ' + err.message }));
    }).finally(() => ul.removeAttribute('aria-busy'));
    return box;
  }

  function showEdge(edge) {
    const d = edge.data();
    const ev = d.evidence || [];
    const list = el('div', { class: 'evidence-list' });
    if (!ev.length) list.append(el('p', { class: 'help', text: 'No evidence recorded.' }));
    for (const e of ev) {
      list.append(el('figure', { class: 'evidence' },
        el('blockquote', { class: 'quote', text: e.quote || '(no quote)' }),
        el('figcaption', { class: 'source' }, '— ', el('cite', { text: e.source ? e.source.name : 'unknown source' }))));
    }
    panel('Relation',
      el('p', { class: 'relation' },
        el('span', { class: 'end', text: nodeName(d.source) }),
        el('span', { class: 'rel-type', text: ' ' + d.type.replace(/_/g, ' ') + ' ' }),
        el('span', { class: 'end', text: nodeName(d.target) })),
      el('h3', { text: ev.length === 1 ? 'Evidence' : 'Evidence (' + ev.length + ')' }),
      list);
  }

  function showPath(p) {
    const ol = el('ol', { class: 'path-steps' });
    p.nodes.forEach((n, i) => {
      ol.append(el('li', {}, swatch(n.kind), ' ', n.name));
      const rel = p.relations[i];
      if (rel) {
        const edge = cy.getElementById(edgeId(rel));
        ol.append(el('li', { class: 'step-rel' },
          el('button', {
            type: 'button',
            class: 'linklike',
            onclick: () => {
              cy.elements().unselect();
              edge.select();
              showEdge(edge);
            },
          }, rel.from.id === n.id ? '↓ ' : '↑ ', rel.type.replace(/_/g, ' '))));
      }
    });
    const hubNames = (hubs) => hubs.map((h) => h.name + ' (' + kindInfo(h.kind).label.toLowerCase() + ')').join(', ');
    const sh = p.shorterThroughHubs;
    const { from, to, via } = state.path;
    panel('Path (' + p.hops + (p.hops === 1 ? ' hop)' : ' hops)'),
      el('p', { class: 'help', text: 'Arrows give the direction of each relation; choose one to read its evidence.' }),
      ol,
      p.hubs.length ? el('p', { class: 'help path-hubs', text: 'Through ' + hubNames(p.hubs) + ', as asked.' }) : null,
      sh ? el('p', { class: 'help path-shorter' },
        'A shorter path, of ' + sh.hops + (sh.hops === 1 ? ' hop' : ' hops') + ', passes through ' + hubNames(sh.hubs) +
        ', which relates many things at once. ',
        el('button', { type: 'button', class: 'secondary', onclick: () => drawPath(from, to, via.concat(sh.hubs.map((h) => h.id))) }, 'Draw it')) : null);
  }

  // ---- wiring --------------------------------------------------------------

  cy.on('tap', 'node', (e) => {
    const node = e.target;
    showNode(node);
    if (!node.hasClass('expanded')) expand(node.id());
  });
  cy.on('tap', 'edge', (e) => showEdge(e.target));

  const combos = {
    focus: new Combo($('search'), $('search-list'), (h) => focus(h.id)),
    from: new Combo($('path-from'), $('path-from-list'), () => {}),
    to: new Combo($('path-to'), $('path-to-list'), () => {}),
  };

  $('path-form').addEventListener('submit', (e) => {
    e.preventDefault();
    busy('', async () => {
      const [a, b] = await Promise.all([combos.from.entity(), combos.to.entity()]);
      await drawPath(a.id, b.id);
    });
  });

  $('clear').addEventListener('click', () => {
    clearGraph();
    setStatus('');
    $('search').value = '';
  });

  function readURL() {
    const q = new URLSearchParams(location.search);
    const list = (name) => (q.get(name) || '').split(',').map((s) => s.trim()).filter(Boolean);
    return {
      focus: list('focus'),
      from: (q.get('from') || '').trim(),
      to: (q.get('to') || '').trim(),
      via: list('via'),
      hideKinds: list('hidekinds'),
      hideTypes: list('hidetypes'),
    };
  }

  async function start() {
    const u = readURL();
    u.hideKinds.forEach((k) => state.hiddenKinds.add(k.toUpperCase()));
    u.hideTypes.forEach((t) => state.hiddenTypes.add(t));
    buildLegend();
    afterChange();
    await busy('', async () => {
      for (const [i, id] of u.focus.entries()) {
        const node = await expand(id, { focus: i === 0 });
        if (i === 0 && node) combos.focus.set(node.data());
      }
      if (u.from && u.to) {
        const [a, b] = await Promise.all([resolve(u.from), resolve(u.to)]);
        combos.from.set(a);
        combos.to.set(b);
        await drawPath(a.id, b.id, u.via);
      }
    });
  }

  window.talkgraphExplorer = {
    cy,
    get busy() {
      return state.busy > 0;
    },
    state,
    focus,
    expand,
    more,
    drawPath,
    clear: clearGraph,
  };

  start();
})();
