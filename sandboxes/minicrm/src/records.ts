/** A MiniCRM system (account): the SystemId of the URL and one API key. */
export interface System {
  Id: number;
  Name: string;
  ApiKey: string;
}

/** The kind of module a category is: the built-in Order and Webshop products, or any other. */
export type CategoryType = 'Sales' | 'Order' | 'Webshop';

/** A category ("termék", product/module) holding data sheets. */
export interface Category {
  Id: number;
  SystemId: number;
  Name: string;
  Type: CategoryType;
  OrderId: number;
}

export type StatusGroup = 'Lead' | 'Open' | 'Success' | 'Failed';

export interface Status {
  Id: number;
  CategoryId: number;
  Name: string;
  Group: StatusGroup;
}

export interface User {
  Id: number;
  SystemId: number;
  Name: string;
}

export interface Contact {
  Id: number;
  SystemId: number;
  Type: 'Person' | 'Business';
  Name: string;
  FirstName: string;
  LastName: string;
  Email: string;
  Phone: string;
  Description: string;
  BusinessId: number | null;
  Deleted: 0 | 1;
  CreatedBy: string;
  CreatedAt: string;
  UpdatedBy: string;
  UpdatedAt: string;
}

/** A data sheet ("adatlap") of a category; custom fields (`Text1301`…) sit beside the standard ones. */
export interface Project {
  Id: number;
  SystemId: number;
  CategoryId: number;
  ContactId: number;
  BusinessId: number | null;
  StatusId: number;
  UserId: number;
  Name: string;
  ReferenceId: string;
  Deleted: 0 | 1;
  CreatedBy: string;
  CreatedAt: string;
  UpdatedBy: string;
  UpdatedAt: string;
  StatusUpdatedAt: string;
  [customField: string]: unknown;
}

export type OrderStatus = 'Draft' | 'In progress' | 'Completed' | 'Paid' | 'Failed';

export interface OrderItem {
  Id: number;
  SKU: string;
  Name: string;
  Description: string;
  PriceNet: number;
  Quantity: number;
  Unit: string;
  /** Percent, e.g. 27. */
  VAT: number;
}

export interface OrderCustomer {
  Name: string;
  Country: string;
  PostalCode: string;
  City: string;
  Address: string;
  VatNumber: string;
}

/** An order of the Order module (`/Api/Order`); its card is `ProjectId` in the Order category. */
export interface Order {
  Id: number;
  SystemId: number;
  ProjectId: number;
  CustomerId: number;
  ReferenceId: string;
  Number: string;
  Status: OrderStatus;
  CurrencyCode: string;
  Subject: string;
  PaymentMethod: string;
  Performance: string;
  Issued: string;
  Customer: OrderCustomer;
  Items: OrderItem[];
  CreatedAt: string;
  UpdatedAt: string;
}
