/** The desk protocol's namespace (docs/widget-protocol.md), modelled on XEP-0142 (Workgroup Queues). */
export const NS_DESK = 'urn:madoguchi:desk:0';
/** FORM_TYPE of the pre-chat form carried by <join/> and <leave-message/> (XEP-0068). */
export const JOIN_FORM_TYPE = `${NS_DESK}#join`;
