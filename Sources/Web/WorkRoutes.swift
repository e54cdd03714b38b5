import Hummingbird

extension WebServer {
    /// The working pages (imports, runs, reviews, policy, exports) and their API routes.
    func addWorkPages(_ router: Router<WebContext>) {
        addImportPage(router)
        addRunPages(router)
        addReviewPages(router)
        addPolicyPage(router)
        addWorkAPIRoutes(router)
    }
}
